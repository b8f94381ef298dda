// "Use my location" on the Find a practitioner page: a progressive enhancement. Without
// this script (or without geolocation) the button stays hidden and the form works as is.
// The position is asked only when the person presses the button, rounded to about 100 m,
// and only written into the "Near" field: nothing is sent until they press Search.
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  var field = document.getElementById("near");
  var status = document.getElementById("near-me-status");
  if (!button || !field || !status || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Asking your browser for your location…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var lat = position.coords.latitude.toFixed(3);
        var lon = position.coords.longitude.toFixed(3);
        field.value = lat + "," + lon;
        status.textContent = "Your location was filled in. Press Search.";
        field.focus();
      },
      function () {
        status.textContent = "Your location is not available. Type a city instead.";
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
