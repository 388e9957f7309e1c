import { LiveSessions } from "@/components/live/live-sessions";

export default function LivePage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Live</h1>
      <LiveSessions />
    </div>
  );
}
