/* Click-to-load video: nothing is requested from the video company until the visitor presses
   play. Then the privacy-mode player (youtube-nocookie.com, or Vimeo with dnt=1) replaces the
   button. Without this script the button is a plain link to the film on that company's site. */
(function () {
  "use strict";
  Array.prototype.forEach.call(
    document.querySelectorAll('[data-module="app-video-facade"]'),
    function (root) {
      var play = root.querySelector("[data-facade-play]");
      var frame = root.querySelector("[data-facade-frame]");
      if (!play || !frame) { return; }
      play.addEventListener("click", function (event) {
        event.preventDefault();
        var iframe = document.createElement("iframe");
        iframe.src = root.getAttribute("data-embed");
        iframe.title = root.getAttribute("data-title") || "";
        iframe.className = "app-facade__iframe";
        iframe.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
        iframe.setAttribute("allowfullscreen", "");
        iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        frame.appendChild(iframe);
        frame.hidden = false;
        play.parentNode.hidden = true;
        iframe.focus();
      });
    }
  );
}());
