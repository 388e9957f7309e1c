import { LiveSessions } from "@/components/live/live-sessions";
import { currentUser } from "@/server/app-entry";

export default async function LivePage() {
  const user = await currentUser();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Live</h1>
      <LiveSessions canOperate={user?.role === "operator"} />
    </div>
  );
}
