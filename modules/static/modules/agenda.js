// "Copier l'adresse" of the private agenda feed (templates/modules/includes/agenda_subscribe.html).
// Without the Clipboard API (or JavaScript) the address stays selectable in its read-only field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.querySelector(`[data-copy-status="${button.dataset.copyTarget}"]`);
  if (!field) return;
  field.select();
  const done = () => {
    if (status) status.textContent = button.dataset.copiedLabel || "Copié";
    button.textContent = button.dataset.copiedLabel || "Copié";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => {});
  } else {
    try {
      if (document.execCommand("copy")) done();
    } catch (error) {
      // The address is selected: the person copies it themself.
    }
  }
});
