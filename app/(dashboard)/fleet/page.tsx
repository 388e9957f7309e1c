import { FleetView } from "@/components/fleet/fleet-view";
import { currentUser } from "@/server/app-entry";

export default async function FleetPage() {
  const user = await currentUser();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Fleet</h1>
      <FleetView canOperate={user?.role === "operator"} />
    </div>
  );
}
