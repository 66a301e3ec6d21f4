// Methods evaluated on a dataset (by name or alias, any case), with the number of papers.
WITH toLower($dataset) AS wanted
MATCH (d:Dataset)
WHERE toLower(d.name) = wanted OR any(a IN d.aliases WHERE toLower(a) = wanted)
MATCH (p:Paper)-[:PROPOSES|USES]->(m:Method)
WHERE EXISTS { MATCH (p)-[:EVALUATES_ON|INTRODUCES]->(d) }
   OR EXISTS { MATCH (p)-[:REPORTS_RESULT]->(r:Result)-[:RESULT_METHOD]->(m), (r)-[:RESULT_DATASET]->(d) }
RETURN d.name AS dataset, m.name AS method, count(DISTINCT p) AS papers
ORDER BY dataset, papers DESC, method;
