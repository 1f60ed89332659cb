// The kiosk at an event's door: after a sign-in the server answers with an HX-Trigger of
// "kiosk-signed-in"; the form is then emptied and the cursor put back in the first box, so the
// next person in line can start typing at once. After an error the form keeps what was typed.
(function () {
  "use strict";
  var form = document.getElementById("kiosk-form");
  if (!form) { return; }
  var first = form.querySelector("input[name=first_name]");
  if (first) { first.focus(); }
  document.body.addEventListener("kiosk-signed-in", function () {
    form.reset();
    if (first) { first.focus(); }
  });
}());
