// Types for build.mjs (the project compiles TypeScript with allowJs off).
export interface WorkloadPaths {
  dir: string;
  srcDir: string;
  buildDir: string;
  binary: string;
  pythonDemo: string;
}
export function workloadPaths(workloadDir: string): WorkloadPaths;
export function workloadNeedsBuild(workloadDir: string): Promise<boolean>;
export function buildWorkload(workloadDir: string, options?: { force?: boolean; cc?: string }): Promise<{ binary: string; built: boolean }>;
