import { SpikesView } from "@/components/spikes/spikes-view";
import { currentUser } from "@/server/app-entry";

export default async function SpikesPage() {
  const user = await currentUser();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Spikes</h1>
      <SpikesView canOperate={user?.role === "operator"} />
    </div>
  );
}
