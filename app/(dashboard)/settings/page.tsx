import { AuditLog } from "@/components/settings/audit-log";
import { DaemonsPanel } from "@/components/settings/daemons-panel";
import { HostsPanel } from "@/components/settings/hosts-panel";
import { InteropPanel } from "@/components/settings/interop-panel";
import { UsersPanel } from "@/components/settings/users-panel";
import { currentUser } from "@/server/app-entry";

export default async function SettingsPage() {
  const user = await currentUser();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Settings</h1>
      <UsersPanel canOperate={user?.role === "operator"} />
      <DaemonsPanel canOperate={user?.role === "operator"} />
      <HostsPanel canOperate={user?.role === "operator"} />
      <InteropPanel canOperate={user?.role === "operator"} />
      <AuditLog />
    </div>
  );
}
