import { redirect } from "next/navigation";
import { CreateWizard } from "@/components/sessions/create-wizard";
import { currentUser } from "@/server/app-entry";

export default async function NewSessionPage() {
  const user = await currentUser();
  if (user?.role !== "operator") redirect("/sessions");
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">New recording session</h1>
      <CreateWizard />
    </div>
  );
}
