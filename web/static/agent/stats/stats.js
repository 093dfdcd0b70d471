// Support lead statistics (/agent/api/stats, leads only). Rendered with textContent only.
(function () {
  "use strict";
  var REASONS = { asked: "demande", misunderstood: "incompréhension", angry: "colère", identification: "identification" };
  var percent = function (value) {
    return value === null ? "—" : Math.round(value * 100) + "\u00a0%";
  };
  var cell = function (row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  };

  fetch("/agent/api/stats", { credentials: "same-origin" }).then(function (response) {
    return response.json().then(function (body) {
      if (!response.ok) { throw new Error(body.error || ("Erreur " + response.status)); }
      return body;
    });
  }).then(function (body) {
    var rows = document.getElementById("rows");
    body.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      cell(tr, new Date(r.day + "T12:00:00").toLocaleDateString("fr-CA", { day: "numeric", month: "long", year: "numeric" }));
      cell(tr, r.channel);
      cell(tr, String(r.conversations));
      cell(tr, r.contained + " (" + percent(r.containment) + ")");
      var reasons = Object.keys(r.handovers_by_reason).map(function (k) { return (REASONS[k] || k) + "\u00a0: " + r.handovers_by_reason[k]; });
      cell(tr, r.handed_over + (reasons.length ? " (" + reasons.join(", ") + ")" : ""));
      cell(tr, r.top_intents.map(function (i) { return i[0] + " (" + i[1] + ")"; }).join(", ") || "—");
      cell(tr, percent(r.fallback_rate));
      cell(tr, r.suggestions.as_is + " / " + r.suggestions.edited + " / " + r.suggestions.rejected);
      cell(tr, r.csat_count ? r.csat_average.toFixed(1).replace(".", ",") + " sur 5 (" + r.csat_count + " réponses)" : "—");
      rows.appendChild(tr);
    });
    document.getElementById("status").textContent = body.rows.length ? "" : "Aucune conversation sur la période.";
    document.getElementById("stats").hidden = false;
  }).catch(function (error) {
    document.getElementById("status").textContent = error.message;
  });
}());
