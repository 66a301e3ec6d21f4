// Load the kg graph into an existing Neo4j 5 database.
// Copy the CSV files of this directory into the database's import/ directory, then run
//   cypher-shell -f load.cypher

CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT method_id IF NOT EXISTS FOR (n:Method) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT metric_id IF NOT EXISTS FOR (n:Metric) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT repository_id IF NOT EXISTS FOR (n:Repository) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Paper.csv' AS row
MERGE (n:Paper {id: row.`id:ID(Paper)`})
SET n.name = row.`name`,
    n.title = row.`title`,
    n.abstract = row.`abstract`,
    n.authors = split(row.`authors:string[]`, ';'),
    n.year = toInteger(row.`year:int`),
    n.date = row.`date`,
    n.doi = row.`doi`,
    n.arxiv_id = row.`arxiv_id`,
    n.url = row.`url`,
    n.source = row.`source`,
    n.source_file = row.`source_file`,
    n.source_line = toInteger(row.`source_line:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Method.csv' AS row
MERGE (n:Method {id: row.`id:ID(Method)`})
SET n.name = row.`name`,
    n.aliases = split(row.`aliases:string[]`, ';'),
    n.papers = toInteger(row.`papers:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Dataset.csv' AS row
MERGE (n:Dataset {id: row.`id:ID(Dataset)`})
SET n.name = row.`name`,
    n.aliases = split(row.`aliases:string[]`, ';'),
    n.papers = toInteger(row.`papers:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Metric.csv' AS row
MERGE (n:Metric {id: row.`id:ID(Metric)`})
SET n.name = row.`name`,
    n.aliases = split(row.`aliases:string[]`, ';'),
    n.papers = toInteger(row.`papers:int`),
    n.direction = row.`direction`;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Task.csv' AS row
MERGE (n:Task {id: row.`id:ID(Task)`})
SET n.name = row.`name`,
    n.aliases = split(row.`aliases:string[]`, ';'),
    n.papers = toInteger(row.`papers:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Repository.csv' AS row
MERGE (n:Repository {id: row.`id:ID(Repository)`})
SET n.name = row.`name`,
    n.url = row.`url`,
    n.host = row.`host`,
    n.papers = toInteger(row.`papers:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Result.csv' AS row
MERGE (n:Result {id: row.`id:ID(Result)`})
SET n.name = row.`name`,
    n.value = toFloat(row.`value:float`),
    n.unit = row.`unit`,
    n.text = row.`text`,
    n.paper = row.`paper`,
    n.method = row.`method`,
    n.dataset = row.`dataset`,
    n.metric = row.`metric`,
    n.kind = row.`kind`,
    n.setting = row.`setting`,
    n.baseline = row.`baseline`;

LOAD CSV WITH HEADERS FROM 'file:///rels_PROPOSES.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Method {id: row.`:END_ID(Method)`})
MERGE (a)-[r:PROPOSES]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_USES.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Method {id: row.`:END_ID(Method)`})
MERGE (a)-[r:USES]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_INTRODUCES.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
MERGE (a)-[r:INTRODUCES]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_EVALUATES_ON.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
MERGE (a)-[r:EVALUATES_ON]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_REPORTS_METRIC.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Metric {id: row.`:END_ID(Metric)`})
MERGE (a)-[r:REPORTS_METRIC]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_ADDRESSES_TASK.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Task {id: row.`:END_ID(Task)`})
MERGE (a)-[r:ADDRESSES_TASK]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_HAS_CODE.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Repository {id: row.`:END_ID(Repository)`})
MERGE (a)-[r:HAS_CODE]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_REPORTS_RESULT.csv' AS row
MATCH (a:Paper {id: row.`:START_ID(Paper)`})
MATCH (b:Result {id: row.`:END_ID(Result)`})
MERGE (a)-[r:REPORTS_RESULT]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_RESULT_METHOD.csv' AS row
MATCH (a:Result {id: row.`:START_ID(Result)`})
MATCH (b:Method {id: row.`:END_ID(Method)`})
MERGE (a)-[r:RESULT_METHOD]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_RESULT_DATASET.csv' AS row
MATCH (a:Result {id: row.`:START_ID(Result)`})
MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
MERGE (a)-[r:RESULT_DATASET]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);

LOAD CSV WITH HEADERS FROM 'file:///rels_RESULT_METRIC.csv' AS row
MATCH (a:Result {id: row.`:START_ID(Result)`})
MATCH (b:Metric {id: row.`:END_ID(Metric)`})
MERGE (a)-[r:RESULT_METRIC]->(b)
SET r.confidence = toFloat(row.`confidence:float`),
    r.extractor = row.`extractor`,
    r.text = row.`text`,
    r.sentence = row.`sentence`,
    r.field = row.`field`,
    r.start = toInteger(row.`start:int`),
    r.end = toInteger(row.`end:int`),
    r.evidence_count = toInteger(row.`evidence_count:int`);
