import { ArchiveDetail } from "@/components/archives/archive-detail";
import { currentUser } from "@/server/app-entry";

export default async function ArchivePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  // A malformed id is shown as such by the component (the query is never sent).
  const n = /^\d{1,9}$/.test(id) ? Number(id) : null;
  return <ArchiveDetail id={n} rawId={id.slice(0, 64)} canOperate={user?.role === "operator"} />;
}
