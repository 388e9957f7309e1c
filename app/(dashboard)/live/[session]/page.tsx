import Link from "next/link";
import { LiveView } from "@/components/live/live-view";

/** Session names may contain '%': decode once, and keep the raw segment if it is not an escape. */
function sessionName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function LiveSessionPage({ params }: { params: Promise<{ session: string }> }) {
  const name = sessionName((await params).session);
  return (
    <div className="space-y-3">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Live: {name}</h1>
        <Link className="text-xs text-sky-600 hover:underline" href="/live">
          all live sessions
        </Link>
        <Link className="text-xs text-sky-600 hover:underline" href={`/sessions/${encodeURIComponent(name)}`}>
          session →
        </Link>
      </div>
      <LiveView session={name} />
    </div>
  );
}
