"""Entity-relationship diagrams of the datasets: React Flow JSON and Mermaid erDiagram."""
