import { redirect } from "next/navigation";
import { CreateWizard } from "@/components/sessions/create-wizard";
import { modeParam } from "@/components/sessions/create-wizard/wizard-state";
import { hostParam } from "@/components/sessions/host-href";
import { currentUser } from "@/server/app-entry";

/** `?host=ID`: the wizard starts on that traced host; `?mode=snapshot` (or another mode): with that mode chosen. */
export default async function NewSessionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, { host, mode }] = await Promise.all([currentUser(), searchParams]);
  if (user?.role !== "operator") redirect("/sessions");
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">New recording session</h1>
      <CreateWizard host={hostParam(host)} mode={modeParam(mode)} />
    </div>
  );
}
