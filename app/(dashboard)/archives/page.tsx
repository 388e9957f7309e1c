import { ArchivesTable } from "@/components/archives/archives-table";

export default function ArchivesPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Archives</h1>
      <ArchivesTable />
    </div>
  );
}
