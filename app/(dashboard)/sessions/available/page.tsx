import { AvailableEvents } from "@/components/sessions/available-events";

export default function AvailableEventsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Available events</h1>
      <AvailableEvents />
    </div>
  );
}
