// The rating form of a finished render's card: stars, tags and a comment, sent to
// POST /renders/{id}/feedback. One rating per API key: sending again replaces it.
import { ApiError, rateRender } from './api.js';

/** Shows the form of {@code card} once its render has a video; wires it up once. */
export function renderFeedback(card, view) {
  const form = card.querySelector('.feedback');
  form.hidden = !view.video;
  if (!view.video || form.dataset.wired) return;
  form.dataset.wired = 'true';
  form.addEventListener('submit', (event) => onRate(event, view.id));
}

async function onRate(event, id) {
  event.preventDefault();
  const form = event.currentTarget;
  const status = form.querySelector('.feedback-status');
  const data = new FormData(form);
  const rating = Number(data.get('rating'));
  if (!rating) {
    status.textContent = 'Pick 1 to 5 stars first.';
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const saved = await rateRender(id, {
      rating, tags: data.getAll('tags'), comment: String(data.get('comment') || ''),
    });
    status.textContent = `Saved: ${'★'.repeat(saved.rating)}${saved.tags.length ? ` · ${saved.tags.join(', ')}` : ''}`
      + (saved.createdAt !== saved.updatedAt ? ' (replaces your earlier rating)' : '');
  } catch (e) {
    status.textContent = e instanceof ApiError
      ? `Not saved: ${e.message}` : 'Could not reach the orchestrator; try again.';
  } finally {
    button.disabled = false;
  }
}
