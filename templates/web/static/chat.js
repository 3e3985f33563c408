/* The web chat without reloading the page: the same forms, sent through the JSON API.
   Without this script the forms post and the page comes back; nothing here is needed. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.fetch || !window.JSON) return;
  var log = document.getElementById("log");
  var answer = document.getElementById("antwoord");
  var t = root.dataset;
  var session = null; // the token, for when the browser keeps no cookie (inside an iframe)
  var busy = false;
  window.chatScript = true;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // the summary: its parts fold (open on a wide screen), each answer under its question
  function summary(item, sections) {
    var wide = window.matchMedia("(min-width: 48em)").matches;
    item.appendChild(el("p", {}, sections.title));
    sections.parts.forEach(function (part) {
      // the findings (answers without a question) stay open: they are what to look at
      var open = wide || !part.items[0].label;
      var details = el("details", open ? { open: "" } : {});
      details.appendChild(el("summary", {}, part.heading + " (" + part.items.length + ")"));
      // questions with their answers; the findings, which have no question, as a list
      var list = el(part.items[0].label ? "dl" : "ul");
      part.items.forEach(function (i) {
        if (!i.label) {
          list.appendChild(el("li", {}, i.value));
          return;
        }
        list.appendChild(el("dt", {}, i.label));
        list.appendChild(el("dd", {}, i.value));
      });
      details.appendChild(list);
      item.appendChild(details);
    });
  }

  function show(who, reply) {
    var item = el("li", {
      "class": "chat-msg chat-msg--" + who + (reply.kind === "error" ? " chat-msg--error" : ""),
      "data-kind": reply.kind
    });
    item.appendChild(el("span", { "class": "visually-hidden" }, (who === "you" ? t.you : t.bot) + ": "));
    if (reply.sections) {
      summary(item, reply.sections);
    } else {
      item.appendChild(el("p", {}, reply.text));
    }
    if (reply.documents && reply.documents.length) {
      var list = el("ul", { "aria-label": t.documents });
      reply.documents.forEach(function (d) {
        var li = el("li");
        li.appendChild(el("a", { href: d.url, download: "" }, d.name));
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    log.appendChild(item);
    log.hidden = false;
  }

  function button(label, value, secondary) {
    var b = el("button", { type: "submit", "class": "utrecht-button" + (secondary ? " utrecht-button--secondary" : "") }, label);
    if (value !== undefined) { b.name = "text"; b.value = value; }
    return b;
  }

  // the answer part for the last question: its choices, then a field to type in
  function ask(question) {
    answer.textContent = "";
    answer.hidden = false;
    var choices = question ? question.choices : [];
    if (choices.length) {
      var form = el("form", { "class": "chat-form" });
      var set = el("fieldset", { "class": "utrecht-fieldset" });
      set.appendChild(el("legend", {}, t.choices));
      if (question.input === "multi") {
        choices.forEach(function (c, i) {
          var row = el("div", { "class": "utrecht-checkbox-option" });
          row.appendChild(el("input", { type: "checkbox", id: "keuze-" + i, name: "keuze", value: c.value }));
          row.appendChild(el("label", { "for": "keuze-" + i }, c.label));
          set.appendChild(row);
        });
        form.appendChild(set);
        form.appendChild(button(t.multiSend));
      } else {
        choices.forEach(function (c) { set.appendChild(button(c.label, c.value, true)); });
        form.appendChild(set);
      }
      answer.appendChild(form);
    }
    var text = el("form", { "class": "chat-form chat-text" });
    text.appendChild(el("label", { "class": "utrecht-form-label", "for": "tekst" }, t.answer));
    var row = el("div", { "class": "row" });
    // a list may be typed one item a line; with no question open, what is typed is a command
    // such as 'update', whose message to the followers keeps its lines
    var long = !question || question.input === "long_text" || question.input.indexOf("list:") === 0;
    var field = long ? el("textarea", { "class": "utrecht-textarea", rows: "4" })
                     : el("input", { "class": "utrecht-textbox", type: "text", autocomplete: "off" });
    field.id = "tekst";
    field.name = "text";
    row.appendChild(field);
    row.appendChild(button(t.send));
    text.appendChild(row);
    if (question && question.input === "date") {
      field.setAttribute("aria-describedby", "datum-hint");
      text.appendChild(el("p", { "class": "hint", id: "datum-hint" }, t.dateHint));
    }
    if (question && question.file) {
      text.appendChild(el("label", { "class": "utrecht-form-label", "for": "bestand" }, t.file));
      text.appendChild(el("input", { type: "file", id: "bestand", name: "bestand", accept: ".csv,text/csv,text/plain" }));
    }
    answer.appendChild(text);
  }

  function lastQuestion(replies) {
    for (var i = replies.length - 1; i >= 0; i--) {
      if (replies[i].kind === "question" || replies[i].choices.length) return replies[i];
    }
    return null;
  }

  function post(path, body) {
    if (session) body.session = session;
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || String(r.status));
        return data;
      });
    });
  }

  function answered(data) {
    data.replies.forEach(function (r) { show("bot", r); });
    ask(lastQuestion(data.replies));
    var field = document.getElementById("tekst");
    var first = answer.querySelector("button, input, textarea");
    (answer.querySelector("fieldset button, fieldset input") ? first : field).focus();
    log.lastElementChild && log.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  // PDFs made after the answer: asked for every few seconds, shown as one more message
  function later(pending, tries) {
    if (!pending || tries > 90) return;
    setTimeout(function () {
      post("/chat/api/later", { pending: pending }).then(function (data) {
        data.replies.forEach(function (r) { show("bot", r); });
        if (data.pending) later(pending, tries + 1);
      }).catch(function () { later(pending, tries + 1); });
    }, 2000);
  }

  function failed(e) {
    show("bot", { text: e.message, kind: "error", choices: [], documents: [] });
    busy = false;
  }

  var start = root.querySelector("form.chat-start");
  if (start) {
    start.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      var gemeente = start.querySelector("[name=gemeente]");
      post("/chat/api/session", { gemeente: gemeente ? gemeente.value : "" })
        .then(function (data) {
          session = data.session;
          start.hidden = true;
          // 'stuur mij een link' proves itself with the token of the conversation just begun
          var link = document.getElementById("link");
          if (link) {
            link.querySelector("input[name=session]").value = session;
            link.hidden = false;
          }
          root.querySelectorAll("p").forEach(function (p) { p.hidden = true; });
          busy = false;
          answered(data);
        }).catch(failed);
    });
  }

  answer.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var form = event.target;
    var picked = Array.prototype.map.call(form.querySelectorAll("input[name=keuze]:checked"), function (i) { return i.value; });
    var chosen = event.submitter && event.submitter.name === "text" ? event.submitter : null;
    var field = form.querySelector("#tekst");
    var text = chosen ? chosen.value : picked.length ? picked.join(", ") : field ? field.value : "";
    var label = chosen ? chosen.textContent : picked.length
      ? Array.prototype.map.call(form.querySelectorAll("input[name=keuze]:checked"), function (i) { return i.nextSibling.textContent; }).join(", ")
      : text;
    var file = form.querySelector("#bestand");
    busy = true;
    function send(text, label) {
      show("you", { text: label, kind: "answer", choices: [], documents: [] });
      post("/chat/api/message", { text: text }).then(function (data) {
        busy = false;
        answered(data);
        later(data.pending, 0);
      }).catch(failed);
    }
    if (file && file.files.length && !text.trim()) {
      // the file's contents are the answer, as if pasted
      file.files[0].text().then(function (contents) { send(contents, "\ud83d\udcce " + file.files[0].name); }, failed);
      return;
    }
    send(text, label);
  });
}());
