import Link from "next/link";
import { ProfilesPanel } from "@/components/sessions/profiles-panel";
import { SessionsList } from "@/components/sessions/sessions-list";
import { currentUser } from "@/server/auth/current-user";

export default async function SessionsPage() {
  const user = await currentUser();
  const canOperate = user?.role === "operator";
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-lg font-semibold">Sessions</h1>
        <Link href="/sessions/available" className="td-btn">Available events</Link>
        {canOperate && <Link href="/sessions/new" className="td-btn-primary">New session</Link>}
      </div>
      <SessionsList canOperate={canOperate} />
      <ProfilesPanel canOperate={canOperate} />
    </div>
  );
}
