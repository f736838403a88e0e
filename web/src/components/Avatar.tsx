/** Initials on a colour derived from a stable id, so the same aspirant always looks the same. */
export function Avatar({ id, name, size = 40 }: { readonly id: string; readonly name: string; readonly size?: number }) {
  const initials =
    name
      .split(/\s+/)
      .filter((part) => /\p{L}/u.test(part))
      .slice(0, 2)
      .map((part) => [...part][0]!.toUpperCase())
      .join('') || '#';
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, background: `hsl(${hash % 360} 45% 42%)` }}>
      {initials}
    </span>
  );
}
