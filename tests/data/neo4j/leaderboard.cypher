// Leaderboard of a dataset and a metric (names or aliases, any case): the absolute results
// of named methods, best first by the metric's direction, one board per task.
WITH toLower($dataset) AS wantedDataset, toLower($metric) AS wantedMetric
MATCH (p:Paper)-[:REPORTS_RESULT]->(r:Result)-[:RESULT_METHOD]->(m:Method),
      (r)-[:RESULT_DATASET]->(d:Dataset), (r)-[:RESULT_METRIC]->(x:Metric)
WHERE r.kind = 'absolute'
  AND (toLower(d.name) = wantedDataset OR any(a IN d.aliases WHERE toLower(a) = wantedDataset))
  AND (toLower(x.name) = wantedMetric OR any(a IN x.aliases WHERE toLower(a) = wantedMetric))
OPTIONAL MATCH (p)-[:ADDRESSES_TASK]->(t:Task)
RETURN t.name AS task, d.name AS dataset, x.name AS metric, x.direction AS direction,
       m.name AS method, r.value AS value, r.unit AS unit, p.title AS title
ORDER BY task, dataset, metric,
         CASE WHEN x.direction = 'lower' THEN r.value ELSE -r.value END, method, title;
