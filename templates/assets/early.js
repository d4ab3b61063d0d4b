/* Run in <head>, before the first paint: marks <html> as scripted, so style.css gives what
   journeymap.js brings (the search box, the map's filter bar) its room from the start, and the page
   does not shift when that script arrives at the end of <body>. */
document.documentElement.classList.add("js");
