/*
 * The main menu on small screens (templates/partials/nav.html, static/css/portal.css): the "Menu"
 * button opens and closes it and says so in aria-expanded; Escape closes it and returns to the
 * button. Loaded in <head> so the menu is closed before the page is first drawn. Without this
 * script the button stays hidden and the menu is simply shown.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");

  function init() {
    var nav = document.querySelector(".main-nav");
    var button = nav && nav.querySelector(".menu-toggle");
    if (!button) {
      return;
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
