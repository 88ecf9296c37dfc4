import { h } from './dom.js';

/** A modal <dialog> with a title, content and a close button; removed from the page when closed. */
export function openDialog(title, content, { id, wide = false, actions = [] } = {}) {
  const dialog = h(
    'dialog',
    { id, class: wide ? 'wide' : undefined },
    h(
      'div',
      { class: 'row' },
      h('h2', {}, title),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'secondary close', onclick: () => dialog.close() }, 'Close'),
    ),
    content,
    actions.length ? h('div', { class: 'row actions' }, ...actions) : null,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * Deletion as cloud consoles ask for it: the button stays disabled until the exact name is typed.
 * Resolves true when confirmed.
 */
export function confirmByName(what, name) {
  return new Promise((resolve) => {
    let confirmed = false;
    const input = h('input', { id: 'confirm-name', autocomplete: 'off', placeholder: name });
    const go = h(
      'button',
      { type: 'button', class: 'danger', id: 'confirm-delete', disabled: true, onclick: () => ((confirmed = true), dialog.close()) },
      `Delete ${what}`,
    );
    input.addEventListener('input', () => (go.disabled = input.value !== name));
    const dialog = openDialog(
      `Delete ${what} ${name}?`,
      h(
        'div',
        {},
        h('p', {}, `This deletes ${what} `, h('b', {}, name), ' and everything running on it. It cannot be undone.'),
        h('label', {}, `Type ${name} to confirm`, input),
      ),
      { id: 'delete-dialog', actions: [go] },
    );
    dialog.addEventListener('close', () => resolve(confirmed));
    input.focus();
  });
}

/** Saves text as a file through a temporary blob link. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
