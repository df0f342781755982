/** Durations and sizes as status tables show them: "4m05s", "1h02m"; "41.3M", "812K". */

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)}M` : `${(bytes / 1024).toFixed(0)}K`;
}
