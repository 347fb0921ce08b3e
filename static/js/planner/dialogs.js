// Modal dialogs: focus moves in, Escape closes, focus returns to the button that opened it.

import { clearError, showError } from './feedback.js';

/**
 * Show `dialog`; its confirm button runs `onConfirm`. A refusal is shown in the dialog's alert
 * and keeps it open. Resolves with true when confirmed, false when cancelled.
 */
export function runDialog(dialog, opener, onConfirm) {
  const form = dialog.querySelector('form');
  const alert = dialog.querySelector('[role=alert]');
  if (alert) clearError(alert);
  return new Promise((resolve) => {
    let confirmed = false;
    const onSubmit = async (event) => {
      if (event.submitter?.value !== 'confirm') return;
      event.preventDefault();
      event.submitter.disabled = true;
      try {
        if (onConfirm) await onConfirm();
        confirmed = true;
        dialog.close('confirm');
      } catch (error) {
        showError(alert, error);
      } finally {
        event.submitter.disabled = false;
      }
    };
    const onClose = () => {
      form.removeEventListener('submit', onSubmit);
      if (opener?.isConnected) opener.focus();
      resolve(confirmed);
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose, { once: true });
    dialog.showModal();
  });
}
