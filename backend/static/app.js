// Mimamori pages: the little script the pages need (no inline script is allowed).
// The leaflet's print button, and a confirmation (the form's hint) before a case is
// transferred or its observation ended.
document.addEventListener('DOMContentLoaded', () => {
  const print = document.getElementById('print');
  if (print) print.addEventListener('click', () => window.print());
  for (const form of document.querySelectorAll('form.confirm')) {
    form.addEventListener('submit', (e) => {
      const hint = form.querySelector('.hint');
      if (hint && !window.confirm(hint.textContent)) e.preventDefault();
    });
  }
});
