// The policy builder's enhancements: "set every <category> tool to <decision>", back to recommended, and a
// live count of decisions per server. The form works without this script; it only saves clicks.

const LABELS: Record<string, string> = {
  allow: 'allowed',
  'rate-limit': 'rate-limited',
  approve: 'need approval',
  deny: 'denied',
};

function summarise(fieldset: Element): void {
  const counts = new Map<string, number>();
  let changed = 0;
  for (const select of fieldset.querySelectorAll<HTMLSelectElement>('select[data-recommended]')) {
    counts.set(select.value, (counts.get(select.value) ?? 0) + 1);
    if (select.value !== select.dataset.recommended) changed++;
  }
  const parts = [...counts.entries()].map(([d, n]) => `${n} ${LABELS[d] ?? d}`);
  const summary = fieldset.querySelector('.bulk-summary');
  if (summary) summary.textContent = `${parts.join(', ')}; ${changed} changed from the recommendation.`;
}

export function attachBuilder(doc: Document): void {
  for (const fieldset of doc.querySelectorAll('fieldset.builder-server')) {
    const bulk = fieldset.querySelector<HTMLElement>('.bulk');
    if (!bulk) continue;
    bulk.hidden = false;
    const selects = () => [...fieldset.querySelectorAll<HTMLSelectElement>('select[data-recommended]')];
    bulk.querySelector('.bulk-apply')?.addEventListener('click', () => {
      const category = bulk.querySelector<HTMLSelectElement>('.bulk-category')?.value ?? '';
      const decision = bulk.querySelector<HTMLSelectElement>('.bulk-decision')?.value ?? 'allow';
      for (const select of selects()) {
        if (category && select.closest('tr')?.dataset.category !== category) continue;
        select.value = decision;
      }
      summarise(fieldset);
    });
    bulk.querySelector('.bulk-reset')?.addEventListener('click', () => {
      for (const select of selects()) select.value = select.dataset.recommended ?? select.value;
      summarise(fieldset);
    });
    fieldset.addEventListener('change', () => summarise(fieldset));
    summarise(fieldset);
  }
}
