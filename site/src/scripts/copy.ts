// Copy buttons: <button data-copy-target="<id of the element whose text to copy>"
// data-copy-status="<id of a live region>">. Bundled by Astro into a file, so the CSP needs no inline script.

function setStatus(doc: Document, id: string | undefined, text: string): void {
  const el = id ? doc.getElementById(id) : null;
  if (el) el.textContent = text;
}

function selectText(doc: Document, el: Element): void {
  const range = doc.createRange();
  range.selectNodeContents(el);
  const selection = doc.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

export function attachCopyButtons(doc: Document): void {
  for (const button of doc.querySelectorAll<HTMLButtonElement>('button[data-copy-target]')) {
    button.addEventListener('click', () => {
      const target = doc.getElementById(button.dataset.copyTarget ?? '');
      if (!target) return;
      const text = target.textContent ?? '';
      const status = button.dataset.copyStatus;
      if (!navigator.clipboard) {
        selectText(doc, target);
        setStatus(doc, status, 'Selected: press Ctrl+C (⌘C) to copy.');
        return;
      }
      navigator.clipboard.writeText(text).then(
        () => setStatus(doc, status, 'Copied.'),
        () => {
          selectText(doc, target);
          setStatus(doc, status, 'Could not copy: the text is selected, press Ctrl+C (⌘C).');
        },
      );
    });
  }
}
