"""Period reports (月报 / 季报 / 年报, issue 18): figures frozen when closed, drift, print, XLSX and API."""
