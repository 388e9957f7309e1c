import { InstrumentedApps } from "@/components/overview/instrumented-apps";
import { SessionsOverview } from "@/components/overview/sessions-overview";
import { DemoPanel } from "@/components/workload/demo-panel";
import { currentUser } from "@/server/app-entry";

export default async function OverviewPage() {
  const user = await currentUser();
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Overview</h1>
      <SessionsOverview />
      <div className="grid gap-4 xl:grid-cols-2">
        <InstrumentedApps />
        <DemoPanel canOperate={user?.role === "operator"} />
      </div>
    </div>
  );
}
