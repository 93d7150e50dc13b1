// Countdown to the server's deadline; when time is up, send what is on screen (the server
// also enforces the deadline: an overdue attempt is submitted with what was saved).
(function () {
  "use strict";
  var timer = document.querySelector(".timer[data-deadline]");
  if (!timer) return;
  var deadline = Date.parse(timer.dataset.deadline);
  var skew = Date.parse(timer.dataset.now) - Date.now();
  var value = timer.querySelector(".timer-value");
  var alertBox = timer.querySelector(".timer-alert");
  var warned = {};
  var sent = false;

  function label(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var text = (hours ? hours + " h " : "") + minutes + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
    return text;
  }

  function timeUp() {
    if (sent) return;
    sent = true;
    var form = document.getElementById("attempt-form");
    if (form) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "action";
      input.value = "timeout";
      form.appendChild(input);
      form.submit();
      return;
    }
    var confirmForm = document.getElementById("confirm-form");
    if (confirmForm) confirmForm.submit();
  }

  function tick() {
    var left = deadline - (Date.now() + skew);
    value.textContent = label(left);
    [5, 1].forEach(function (minutes) {
      if (left <= minutes * 60000 && left > 0 && !warned[minutes]) {
        warned[minutes] = true;
        timer.classList.add("is-low");
        alertBox.textContent = "Il reste " + minutes + " minute" + (minutes > 1 ? "s" : "") + ".";
      }
    });
    if (left <= 0) {
      value.textContent = "temps écoulé";
      timeUp();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
