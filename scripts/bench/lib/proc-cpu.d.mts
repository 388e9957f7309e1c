export function machineCpuS(): number;
export function threadCpu(pid: number): { tid: number; name: string; main: boolean; cpuS: number }[];
