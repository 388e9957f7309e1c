"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/sessions", label: "Sessions" },
  { href: "/live", label: "Live" },
  { href: "/timeline", label: "Timeline" },
  { href: "/spikes", label: "Spikes" },
  { href: "/archives", label: "Archives" },
  { href: "/analyze", label: "Analyze" },
  { href: "/fleet", label: "Fleet" },
  { href: "/settings", label: "Settings" },
] as const;

export function Nav() {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-0.5">
      {ITEMS.map((it) => {
        const active = it.href === "/" ? path === "/" : path.startsWith(it.href);
        return (
          <Link
            key={it.href}
            href={it.href}
            // Prefetching every page renders them on the server while the current one loads.
            prefetch={false}
            aria-current={active ? "page" : undefined}
            className={`rounded px-2.5 py-1 text-[13px] font-medium ${active ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900"}`}
          >
            {it.label}
          </Link>
        );
      })}
    </nav>
  );
}
