import { SessionDetail } from "@/components/sessions/session-detail";
import { currentUser } from "@/server/app-entry";

/** Session names may contain '%': decode once, and keep the raw segment if it is not an escape. */
function sessionName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function SessionPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const user = await currentUser();
  return <SessionDetail name={sessionName(name)} canOperate={user?.role === "operator"} />;
}
