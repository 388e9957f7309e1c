import { ArchivesView } from "@/components/archives/archives-view";

export default function ArchivesPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Archives</h1>
      <ArchivesView />
    </div>
  );
}
