import { h, mount, errorText } from './dom.js';
import { signIn } from './api.js';

export function renderSignIn() {
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'kates API key', required: true });
  const error = h('div', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'card signin',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        try {
          await signIn(key.value.trim());
          location.hash = '#/clusters';
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Use an API key of your tenant. It is exchanged for a short-lived token and not stored.'),
    h('label', {}, 'API key', key),
    error,
    h('p', {}, h('button', { type: 'submit', id: 'sign-in' }, 'Sign in')),
  );
  mount(form);
  key.focus();
}
