// Papers that address a task (by name or alias, any case) and link to their code.
WITH toLower($task) AS wanted
MATCH (t:Task)
WHERE toLower(t.name) = wanted OR any(a IN t.aliases WHERE toLower(a) = wanted)
MATCH (p:Paper)-[:ADDRESSES_TASK]->(t), (p)-[:HAS_CODE]->(c:Repository)
RETURN t.name AS task, p.title AS title, c.url AS repository
ORDER BY task, title, repository;
