// Behaviour of every page, from this file only: the Content-Security-Policy allows no inline script.
//   <select data-autosubmit>            submits its form when changed (the language menu)
//   <button data-disable-on-submit>     is disabled once its form is sent (no double submit)
//   <input type=checkbox data-select-all="NAME">  ticks or clears every checkbox named NAME
//   <button data-print>                  prints the page (a demand prints as a work order: app.css, @media print)
//   <form data-confirm="QUESTION">       asks QUESTION first and is not sent unless the user agrees
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    } else if (el.matches("input[type=checkbox][data-select-all]")) {
      document.querySelectorAll('input[type=checkbox][name="' + el.dataset.selectAll + '"]').forEach(function (c) {
        c.checked = el.checked;
      });
    }
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) {
      window.print();
    }
  });
  document.addEventListener("submit", function (e) {
    var question = e.target.dataset ? e.target.dataset.confirm : "";
    if (question && !window.confirm(question)) {
      e.preventDefault();
      return;
    }
    e.target.querySelectorAll("[data-disable-on-submit]").forEach(function (b) {
      setTimeout(function () { b.disabled = true; }, 0);
    });
  });
})();
