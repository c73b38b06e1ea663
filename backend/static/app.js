// Mimamori pages: the little script the pages need (no inline script is allowed).
// The leaflet's print button, and a confirmation before a case transfer.
document.addEventListener('DOMContentLoaded', () => {
  const print = document.getElementById('print');
  if (print) print.addEventListener('click', () => window.print());
  const transfer = document.getElementById('transfer-form');
  if (transfer) {
    transfer.addEventListener('submit', (e) => {
      const hint = transfer.querySelector('.hint');
      if (hint && transfer.dataset.confirmed !== 'yes' && !window.confirm(hint.textContent)) e.preventDefault();
    });
  }
});
