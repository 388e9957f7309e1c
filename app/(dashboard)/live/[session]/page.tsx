import Link from "next/link";
import { LiveView } from "@/components/live/live-view";
import { currentUser } from "@/server/app-entry";

/** Session names may contain '%': decode once, and keep the raw segment if it is not an escape. */
function sessionName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function LiveSessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ session: string }>;
  /** `?relay=HOST:PORT`: a relay other than the configured one (loopback, operators; the API checks). */
  searchParams: Promise<{ relay?: string | string[] }>;
}) {
  const [name, user] = [sessionName((await params).session), await currentUser()];
  const r = (await searchParams).relay;
  const relay = Array.isArray(r) ? r[0] : r;
  return (
    <div className="space-y-3">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Live: {name}</h1>
        {relay && (
          <span className="text-xs text-zinc-500" data-testid="live-relay">
            on relay {relay}
          </span>
        )}
        <Link className="text-xs text-sky-600 hover:underline" href="/live">
          all live sessions
        </Link>
        <Link className="text-xs text-sky-600 hover:underline" href={`/sessions/${encodeURIComponent(name)}`}>
          session →
        </Link>
      </div>
      <LiveView session={name} relay={relay} canOperate={user?.role === "operator"} />
    </div>
  );
}
