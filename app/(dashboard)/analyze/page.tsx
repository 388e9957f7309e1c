import { redirect } from "next/navigation";
import { AnalyzeView } from "@/components/analysis/analyze-view";
import { currentUser } from "@/server/app-entry";

/** `/analyze?trace=<path>&analysis=<name>`: both optional, to link here from a trace or an archive. */
export default async function AnalyzePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const q = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Analyze</h1>
      <AnalyzeView initialTrace={first(q.trace).slice(0, 4096)} initialAnalysis={first(q.analysis).slice(0, 64) || "iolatencytop"} />
    </div>
  );
}
