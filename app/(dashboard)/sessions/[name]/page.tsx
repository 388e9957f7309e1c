import { SessionDetail } from "@/components/sessions/session-detail";
import { currentUser } from "@/server/auth/current-user";

export default async function SessionPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const user = await currentUser();
  return <SessionDetail name={decodeURIComponent(name)} canOperate={user?.role === "operator"} />;
}
