import Link from "next/link";
import { ProfilesPanel } from "@/components/sessions/profiles-panel";
import { SessionsList } from "@/components/sessions/sessions-list";
import { hostParam } from "@/components/sessions/host-href";
import { currentUser } from "@/server/app-entry";

/** `?destroyed=NAME`: the session page sends the user back here after destroying NAME. */
function destroyedName(v: string | string[] | undefined): string | null {
  return typeof v === "string" && v.length > 0 && v.length <= 254 ? v : null;
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { destroyed, host: hostValue } = await searchParams;
  const host = hostParam(hostValue);
  const user = await currentUser();
  const canOperate = user?.role === "operator";
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-lg font-semibold">Sessions</h1>
        <Link href="/sessions/available" className="td-btn">
          Available events
        </Link>
        {canOperate && (
          <Link href={`/sessions/new${host ? `?host=${encodeURIComponent(host)}` : ""}`} className="td-btn-primary">
            New session
          </Link>
        )}
      </div>
      <SessionsList canOperate={canOperate} host={host} destroyed={destroyedName(destroyed)} />
      <ProfilesPanel canOperate={canOperate} />
    </div>
  );
}
