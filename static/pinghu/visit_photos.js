// The visit form's photos (issue 21): each chosen image is reduced in the browser to at most 1600 px on
// its long side (canvas → JPEG 0.85, which also drops its EXIF and location) and the input's files are
// replaced with the reduced ones (DataTransfer) before the form is sent, so a weak connection carries
// ~300 KB instead of ~5 MB and the offline queue stores the small files. At most 5 photos per visit,
// counting those already on it and not ticked for removal. Without JavaScript the originals are sent and
// the server reduces them the same way. Texts come from the template's data-* attributes (translated there).
(function () {
  "use strict";

  function resized(file, longSide) {
    // createImageBitmap applies the EXIF orientation ("from-image"), so the canvas is upright.
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (!blob) { reject(new Error("toBlob")); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          // CSP allows img-src data: (not blob:): the preview is a small data URL.
          var preview = document.createElement("canvas");
          var ratio = Math.min(1, 160 / Math.max(canvas.width, canvas.height));
          preview.width = Math.max(1, Math.round(canvas.width * ratio));
          preview.height = Math.max(1, Math.round(canvas.height * ratio));
          preview.getContext("2d").drawImage(canvas, 0, 0, preview.width, preview.height);
          resolve({ file: new File([blob], name, { type: "image/jpeg" }), preview: preview.toDataURL("image/jpeg", 0.7) });
        }, "image/jpeg", 0.85);
      });
    });
  }

  function setUp(box) {
    var input = box.querySelector('input[type="file"][name="photos"]');
    var form = input && input.form;
    if (!input || !form || typeof DataTransfer === "undefined" || !window.createImageBitmap) return;
    var message = box.querySelector("[data-photo-message]");
    var previews = box.querySelector(".visit-photo-previews");
    var max = parseInt(box.dataset.max, 10) || 5;
    var longSide = parseInt(box.dataset.longSide, 10) || 1600;
    var pending = null; // the running reduction: a submit waits for it
    var submitWaiting = false;

    function room() {
      var kept = parseInt(box.dataset.existing, 10) || 0;
      kept -= box.querySelectorAll('input[name="remove_photos"]:checked').length;
      return Math.max(0, max - kept);
    }

    function show(text) { message.textContent = text || ""; }

    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files);
      var space = room();
      show("");
      if (chosen.length > space) {
        show(space === 0 ? box.dataset.noneLeft : box.dataset.tooMany.replace("{room}", space));
        chosen = chosen.slice(0, space);
      }
      previews.textContent = "";
      if (!chosen.length) { input.value = ""; return; }
      box.setAttribute("aria-busy", "true");
      var notes = [];
      pending = Promise.all(chosen.map(function (file) {
        return resized(file, longSide).catch(function () {
          notes.push(box.dataset.unreadable.replace("{name}", file.name));
          return { file: file, preview: null };
        });
      })).then(function (results) {
        var transfer = new DataTransfer();
        results.forEach(function (result) {
          transfer.items.add(result.file);
          var item = document.createElement("li");
          item.className = "visit-photo";
          if (result.preview) {
            var img = document.createElement("img");
            img.src = result.preview;
            img.alt = result.file.name;
            img.width = 160;
            img.height = 120;
            item.appendChild(img);
          }
          var caption = document.createElement("div");
          caption.className = "small text-break";
          caption.textContent = result.file.name + " · " + Math.round(result.file.size / 1024) + " KB";
          item.appendChild(caption);
          previews.appendChild(item);
        });
        input.files = transfer.files;
        if (notes.length) show([message.textContent].concat(notes).filter(Boolean).join(" "));
      }).finally(function () {
        box.removeAttribute("aria-busy");
        pending = null;
        if (submitWaiting) { submitWaiting = false; form.requestSubmit(); }
      });
    });

    box.addEventListener("change", function (event) {
      if (event.target.name === "remove_photos" && room() > 0 && message.textContent === box.dataset.noneLeft) show("");
    });

    // Capture phase: runs before the page's other submit handlers (submit-once, the offline queue),
    // which then see the reduced files.
    form.addEventListener("submit", function (event) {
      if (!pending) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      show(box.dataset.resizing);
      submitWaiting = true;
    }, true);
  }

  document.querySelectorAll("[data-visit-photos]").forEach(setUp);
})();
