"use client";

export function ThemeToggle() {
  const toggle = () => {
    const dark = document.documentElement.classList.toggle("dark");
    localStorage.setItem("td-theme", dark ? "dark" : "light");
  };
  return (
    <button type="button" onClick={toggle} className="td-btn" aria-label="Toggle dark theme" title="Toggle dark theme">
      ◐
    </button>
  );
}
