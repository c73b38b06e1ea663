// Mimamori patient pages: ticks the parts of the password rule as the password is
// typed. Optional: every page works with scripts off (the list is then static and the
// server checks the same rule).
document.addEventListener('DOMContentLoaded', () => {
  const field = document.getElementById('password');
  const list = document.getElementById('password-rule');
  if (!field || !list) return;
  const checks = {
    length: (p) => [...p].length >= 8 && [...p].length <= 128,
    lower: (p) => /[a-z]/.test(p),
    upper: (p) => /[A-Z]/.test(p),
    digit: (p) => /[0-9]/.test(p),
    symbol: (p) => /[^A-Za-z0-9]/.test(p),
  };
  const update = () => {
    for (const item of list.querySelectorAll('li[data-part]')) {
      const met = checks[item.dataset.part](field.value);
      item.classList.toggle('met', met);
      item.querySelector('.state').textContent = met ? list.dataset.met : list.dataset.unmet;
    }
  };
  field.addEventListener('input', update);
  update();
});
