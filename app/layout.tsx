import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/components/trpc/provider";
import "./globals.css";

export const metadata: Metadata = {
  title: "Tracedeck",
  description: "LTTng session manager and latency dashboard",
};

// Runs before first paint so a dark-theme user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem("td-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
