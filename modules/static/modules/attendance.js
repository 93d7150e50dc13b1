/* Counter-sign screen: "Tout le groupe présent" sets every open row to present in one tap.
   Progressive enhancement: the button is hidden until this script runs. */
(function () {
  var button = document.querySelector("[data-mark-all]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var value = button.getAttribute("data-mark-all");
    document
      .querySelectorAll('.countersign-row:not(.is-countersigned) input[type=radio][value="' + value + '"]')
      .forEach(function (input) { input.checked = true; });
    var status = document.getElementById("mark-all-status");
    if (status) status.textContent = "Tout le groupe est marqué présent : ajustez les absences puis contresignez.";
  });
})();
