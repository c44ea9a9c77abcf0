// Sepia's web UI drives the same REST API as every other client. Forms and buttons marked with
// data-api-* send JSON to it (with the session's CSRF token); errors come back as
// {"error", "details": ["field: problem", ...]} and are shown next to the fields they concern.
(function () {
  "use strict";

  function csrfToken() {
    const meta = document.querySelector('meta[name="sepia-csrf"]');
    return meta ? meta.content : "";
  }

  async function callApi(method, path, body) {
    const headers = { "X-Sepia-Csrf": csrfToken() };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    const text = await response.text();
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        json = { error: text };
      }
    }
    return { ok: response.ok, status: response.status, json: json };
  }

  // --- Reading a form into JSON -------------------------------------------------------------
  function setPath(target, path, value) {
    const parts = path.split(".");
    let node = target;
    for (let i = 0; i < parts.length - 1; i++) {
      node[parts[i]] = node[parts[i]] || {};
      node = node[parts[i]];
    }
    node[parts[parts.length - 1]] = value;
  }

  function fieldValue(field) {
    const kind = field.dataset.kind || "";
    if (field.type === "checkbox") {
      return field.checked;
    }
    if (field.type === "file") {
      // Read before submitting (see readFiles): the file's bytes as base64, or null if none.
      return fileContents.get(field) || null;
    }
    const raw = field.value;
    if (field.hasAttribute("data-secret")) {
      // An empty write-only field keeps the stored value.
      return raw === "" ? null : raw;
    }
    if (kind === "list") {
      return raw.split(/[,\n]/).map((s) => s.trim()).filter((s) => s.length > 0);
    }
    if (kind === "map") {
      const map = {};
      raw.split("\n").map((s) => s.trim()).filter((s) => s.length > 0).forEach((line) => {
        const eq = line.indexOf("=");
        if (eq > 0) {
          map[line.substring(0, eq).trim()] = line.substring(eq + 1).trim();
        }
      });
      return map;
    }
    if (kind === "number") {
      return raw === "" ? null : Number(raw);
    }
    if (kind === "optional") {
      return raw === "" ? null : raw;
    }
    if (field.multiple) {
      return Array.from(field.selectedOptions).map((o) => o.value);
    }
    return raw;
  }

  // Fields belong to the nearest enclosing data-item (an element of a list) or to the form.
  function readScope(scope) {
    const out = {};
    scope.querySelectorAll("[name]").forEach((field) => {
      if (field.closest("[data-item], form") !== scope || field.disabled) {
        return;
      }
      setPath(out, field.name, fieldValue(field));
    });
    scope.querySelectorAll("[data-array]").forEach((array) => {
      const owner = array.parentElement.closest("[data-item], form");
      if (owner !== scope) {
        return;
      }
      const items = Array.from(array.children).filter((c) => c.hasAttribute("data-item"));
      setPath(out, array.dataset.array, items.map(readScope));
    });
    return out;
  }

  // --- Showing errors -----------------------------------------------------------------------
  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach((e) => (e.textContent = ""));
    form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    const summary = form.querySelector("[data-error-summary]");
    if (summary) {
      summary.hidden = true;
      summary.textContent = "";
    }
  }

  function fieldFor(form, name) {
    const exact = form.querySelector('[name="' + CSS.escape(name) + '"]');
    if (exact) {
      return exact;
    }
    // "variables[2].name" or "steps: …" style details point at the closest matching field.
    const simple = name.replace(/\[\d+\]/g, "").split(".").pop();
    return form.querySelector('[name="' + CSS.escape(simple) + '"], [name$=".' + CSS.escape(simple) + '"]');
  }

  function showErrors(form, result) {
    const body = result.json || {};
    const summary = form.querySelector("[data-error-summary]");
    const details = Array.isArray(body.details) ? body.details : [];
    const unplaced = [];
    details.forEach((detail) => {
      const colon = detail.indexOf(":");
      const field = colon > 0 ? fieldFor(form, detail.substring(0, colon).trim()) : null;
      if (field) {
        field.setAttribute("aria-invalid", "true");
        // aria-describedby may list a hint and the error element; the error has class field-error.
        const error = (field.getAttribute("aria-describedby") || "")
          .split(/\s+/)
          .map((id) => document.getElementById(id))
          .find((el) => el && el.classList.contains("field-error"));
        if (error) {
          error.textContent = detail.substring(colon + 1).trim();
          return;
        }
      }
      unplaced.push(detail);
    });
    if (summary) {
      summary.textContent = "";
      const heading = document.createElement("p");
      heading.textContent = body.error || "The request failed (HTTP " + result.status + ").";
      summary.appendChild(heading);
      if (unplaced.length > 0) {
        const list = document.createElement("ul");
        unplaced.forEach((d) => {
          const li = document.createElement("li");
          li.textContent = d;
          list.appendChild(li);
        });
        summary.appendChild(list);
      }
      summary.hidden = false;
      summary.focus();
    }
  }

  function thenUrl(template, json) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (json && json[key] ? encodeURIComponent(json[key]) : m));
  }

  function afterSuccess(element, result) {
    const show = element.dataset.showResult;
    if (show && result.json && result.json[show]) {
      const target = document.getElementById(element.dataset.showIn || "result");
      if (target) {
        target.querySelector("[data-result-value]").textContent = result.json[show];
        target.hidden = false;
        target.focus();
        return;
      }
    }
    if (element.dataset.then) {
      window.location.assign(thenUrl(element.dataset.then, result.json));
    } else {
      window.location.reload();
    }
  }

  // File inputs are sent as base64 text (certificate uploads and the like), kept out of the DOM.
  const fileContents = new WeakMap();
  async function readFiles(form) {
    for (const input of form.querySelectorAll("input[type=file]")) {
      const file = input.files && input.files[0];
      if (!file) {
        fileContents.delete(input);
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      }
      fileContents.set(input, btoa(binary));
    }
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.dataset.apiPath) {
      return;
    }
    event.preventDefault();
    clearErrors(form);
    await readFiles(form);
    const button = form.querySelector("[type=submit]");
    if (button) {
      button.disabled = true;
    }
    try {
      const result = await callApi(form.dataset.apiMethod || "POST", form.dataset.apiPath, readScope(form));
      if (result.ok) {
        afterSuccess(form, result);
      } else {
        showErrors(form, result);
      }
    } finally {
      if (button) {
        button.disabled = false;
      }
    }
  });

  document.addEventListener("click", async (event) => {
    const add = event.target.closest("[data-add-item]");
    if (add) {
      const template = document.getElementById(add.dataset.addItem);
      const list = document.querySelector('[data-array="' + add.dataset.to + '"]');
      list.appendChild(template.content.cloneNode(true));
      const fresh = list.lastElementChild;
      const first = fresh && fresh.querySelector("input, textarea, select");
      if (first) {
        first.focus();
      }
      return;
    }
    const remove = event.target.closest("[data-remove-item]");
    if (remove) {
      remove.closest("[data-item]").remove();
      return;
    }
    const button = event.target.closest("button[data-api-path]");
    if (!button || button.type === "submit") {
      return;
    }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      return;
    }
    button.disabled = true;
    const result = await callApi(button.dataset.apiMethod || "POST", button.dataset.apiPath,
      button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
    button.disabled = false;
    if (result.ok) {
      afterSuccess(button, result);
    } else {
      const where = document.getElementById(button.dataset.errorIn || "page-error");
      if (where) {
        where.textContent = (result.json && result.json.error) || "The request failed.";
        where.hidden = false;
        where.focus();
      }
    }
  });

  // The server checks every field and says what is wrong next to it; the browser's own bubbles
  // would stop the form before that and say less.
  function serverValidated() {
    document.querySelectorAll("form[data-api-path]").forEach((f) => (f.noValidate = true));
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", serverValidated);
  } else {
    serverValidated();
  }
  document.addEventListener("htmx:afterSwap", serverValidated);

  window.sepia = { callApi: callApi };
})();
