import { SessionDetail } from "@/components/sessions/session-detail";
import { hostParam } from "@/components/sessions/host-href";
import { currentUser } from "@/server/app-entry";

/** Session names may contain '%': decode once, and keep the raw segment if it is not an escape. */
function sessionName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `?host=ID`: a session of a traced host (absent: this machine). */
export default async function SessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ name }, { host }] = await Promise.all([params, searchParams]);
  const user = await currentUser();
  return <SessionDetail name={sessionName(name)} host={hostParam(host)} canOperate={user?.role === "operator"} />;
}
