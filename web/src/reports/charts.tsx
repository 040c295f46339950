// Small SVG charts for the dashboard: readable at a glance, no chart library.

const W = 560;

export function BarList({ items, max, unit = '' }: { items: { label: string; value: number | null; note?: string }[]; max: number; unit?: string }) {
  const rowH = 24;
  return (
    <svg viewBox={`0 0 ${W} ${items.length * rowH + 4}`} className="chart" role="img">
      {items.map((it, i) => {
        const w = it.value === null ? 0 : Math.max(1, (Math.min(it.value, max) / max) * (W - 230));
        return (
          <g key={it.label} transform={`translate(0 ${i * rowH + 2})`}>
            <text x={100} y={15} textAnchor="end" fontSize={12}>
              {it.label}
            </text>
            <rect x={108} y={3} width={W - 230} height={16} fill="#eef1f4" />
            <rect x={108} y={3} width={w} height={16} fill={it.value !== null && it.value >= max * 0.9 ? '#1a9850' : '#1f5fa8'} />
            <text x={W - 116} y={15} fontSize={12}>
              {it.note ?? (it.value === null ? '—' : `${it.value}${unit}`)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function BarLineChart({ labels, bars, line, lineMax = 100 }: { labels: string[]; bars: number[]; line: (number | null)[]; lineMax?: number }) {
  const H = 200;
  const top = 16;
  const base = H - 24;
  const step = (W - 40) / labels.length;
  const barMax = Math.max(1, ...bars);
  const y = (v: number, max: number) => base - (v / max) * (base - top);
  const points = line
    .map((v, i) => (v === null ? null : `${40 + i * step + step / 2},${y(v, lineMax)}`))
    .filter((p): p is string => p !== null);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img">
      <line x1={40} x2={W} y1={base} y2={base} stroke="#999" />
      {bars.map((b, i) => (
        <g key={labels[i]}>
          <rect x={40 + i * step + step * 0.2} y={y(b, barMax)} width={step * 0.6} height={base - y(b, barMax)} fill="#9ecae1" />
          <text x={40 + i * step + step / 2} y={y(b, barMax) - 3} fontSize={10} textAnchor="middle">
            {b}
          </text>
          <text x={40 + i * step + step / 2} y={H - 8} fontSize={10} textAnchor="middle">
            {labels[i]}
          </text>
        </g>
      ))}
      {points.length > 1 && <polyline points={points.join(' ')} fill="none" stroke="#d7301f" strokeWidth={2} />}
      {points.map((p) => {
        const [cx, cy] = p.split(',');
        return <circle key={p} cx={cx} cy={cy} r={3} fill="#d7301f" />;
      })}
    </svg>
  );
}
